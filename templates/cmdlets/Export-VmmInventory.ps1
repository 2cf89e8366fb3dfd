function Export-VmmInventory {
    $model = Get-VmmObjectModel
    $schemaVersion = 1
    $isFile = $Path -match '\.json$'
    if ($isFile) {
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $parent = [System.IO.Path]::GetDirectoryName($full)
        if (-not $parent) {
            throw "Cannot write the inventory to '$Path': give a file in a folder that is not a root directory."
        }
        $folder = Resolve-VmmBackupPath -Path $parent
        $file = [System.IO.Path]::Combine($folder, [System.IO.Path]::GetFileName($full))
    } else {
        $folder = Resolve-VmmBackupPath -Path $Path
        $file = [System.IO.Path]::Combine($folder, ('VmmInventory_{0}.json' -f (Get-Date).ToString('yyyyMMdd_HHmmss')))
    }

    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $hosts = @(Get-SCVMHost -VMMServer $connection -ErrorAction Stop)
        $clusters = @(Get-SCVMHostCluster -VMMServer $connection -ErrorAction Stop)
        $vms = @(Get-SCVirtualMachine -VMMServer $connection -All -ErrorAction Stop)
        $libraryServers = @(Get-SCLibraryServer -VMMServer $connection -ErrorAction Stop)
        $clouds = @(Get-SCCloud -VMMServer $connection -ErrorAction Stop)
        $templates = @(Get-SCVMTemplate -VMMServer $connection -All -ErrorAction Stop)
        $runAsAccounts = @(Get-SCRunAsAccount -VMMServer $connection -ErrorAction Stop)
    } catch {
        throw "Cannot read the inventory from the VMM management server '$VMMServer': $($_.Exception.Message)"
    }

    $takenAt = Get-Date
    $snapshot = [ordered]@{
        schemaVersion   = $schemaVersion
        takenAt         = $takenAt.ToUniversalTime().ToString('o')
        vmmServer       = $VMMServer
        hosts           = @(foreach ($item in $hosts) {
                [ordered]@{
                    name      = [string](Get-VmmPropertyValue $item $model.Host.NameProperty)
                    state     = [string](Get-VmmPropertyValue $item $model.Host.StateProperty)
                    cluster   = Get-VmmPropertyValue $item $model.Host.ClusterProperty -AsName
                    perimeter = [bool](Get-VmmPropertyValue $item $model.Host.PerimeterProperty)
                }
            })
        clusters        = @(foreach ($item in $clusters) { [ordered]@{ name = [string](Get-VmmPropertyValue $item $model.Cluster.NameProperty) } })
        virtualMachines = @(foreach ($item in $vms) {
                [ordered]@{
                    name   = [string](Get-VmmPropertyValue $item $model.VM.NameProperty)
                    host   = Get-VmmPropertyValue $item $model.VM.HostProperty -AsName
                    status = [string](Get-VmmPropertyValue $item $model.VM.StateProperty)
                }
            })
        libraryServers  = @(foreach ($item in $libraryServers) { [ordered]@{ name = [string](Get-VmmPropertyValue $item $model.LibraryServer.NameProperty) } })
        clouds          = @(foreach ($item in $clouds) { [ordered]@{ name = [string](Get-VmmPropertyValue $item $model.Cloud.NameProperty) } })
        templates       = @(foreach ($item in $templates) { [ordered]@{ name = [string](Get-VmmPropertyValue $item $model.Template.NameProperty) } })
        runAsAccounts   = @(foreach ($item in $runAsAccounts) {
                [ordered]@{
                    name     = [string](Get-VmmPropertyValue $item $model.RunAsAccount.NameProperty)
                    userName = Get-VmmPropertyValue $item $model.RunAsAccount.UserNameProperty
                }
            })
    }
    $json = ConvertTo-Json -InputObject $snapshot -Depth 6

    if ($PSCmdlet.ShouldProcess($file, 'Write the VMM inventory snapshot')) {
        if (-not [System.IO.Directory]::Exists($folder)) {
            $null = New-Item -ItemType Directory -Path $folder -Force -ErrorAction Stop
        }
        Write-VmmAtomicTextFile -Path $file -Text $json
        Write-Verbose ('Inventory of {0}: {1} hosts, {2} virtual machines written to {3}.' -f $VMMServer, $hosts.Count, $vms.Count, $file)
        [pscustomobject][ordered]@{
            PSTypeName      = 'VmmBackup.InventorySnapshot'
            Path            = $file
            SchemaVersion   = $schemaVersion
            TakenAt         = $takenAt
            VMMServer       = $VMMServer
            Hosts           = $hosts.Count
            Clusters        = $clusters.Count
            VirtualMachines = $vms.Count
            LibraryServers  = $libraryServers.Count
            Clouds          = $clouds.Count
            Templates       = $templates.Count
            RunAsAccounts   = $runAsAccounts.Count
        }
    }
}
