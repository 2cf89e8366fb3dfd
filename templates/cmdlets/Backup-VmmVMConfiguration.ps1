function Backup-VmmVMConfiguration {
    $model = Get-VmmObjectModel
    $extensions = @($model.VM.ConfigExtensions)
    $root = Resolve-VmmBackupPath -Path $Destination
    $day = (Get-Date).ToString('yyyyMMdd')
    $invalid = [System.IO.Path]::GetInvalidFileNameChars() + [char[]]@('\', '/', ':', '*', '?', '"', '<', '>', '|')

    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $vms = @(Get-SCVirtualMachine -VMMServer $connection -All -ErrorAction Stop)
    } catch {
        throw "Cannot list the virtual machines of the VMM management server '$VMMServer': $($_.Exception.Message)"
    }
    if ($VMName) {
        $missingNames = @($VMName | Where-Object { $wanted = $_; -not ($vms | Where-Object { [string](Get-VmmPropertyValue $_ $model.VM.NameProperty) -eq $wanted }) })
        foreach ($name in $missingNames) {
            Write-Error -Message "VMM manages no virtual machine named '$name'." -Category ObjectNotFound -TargetObject $name
        }
        $vms = @($vms | Where-Object { $VMName -contains [string](Get-VmmPropertyValue $_ $model.VM.NameProperty) })
    }

    $index = 0
    foreach ($vm in $vms) {
        $index++
        $name = [string](Get-VmmPropertyValue $vm $model.VM.NameProperty)
        $vmHost = Get-VmmPropertyValue $vm $model.VM.HostProperty -AsName
        Write-Progress -Id $progressId -Activity 'Backing up VM configuration files' -Status $name -PercentComplete ([int](100 * ($index - 1) / $vms.Count))

        $safeHost = 'UnknownHost'
        if ($vmHost) { $safeHost = -join ([char[]]$vmHost | ForEach-Object { if ($invalid -contains $_) { '_' } else { $_ } }) }
        $safeName = -join ([char[]]$name | ForEach-Object { if ($invalid -contains $_) { '_' } else { $_ } })
        $target = [System.IO.Path]::Combine($root, $day, $safeHost, $safeName)

        $state = 'Succeeded'
        $message = $null
        $files = @()
        $configPath = [string](Get-VmmPropertyValue $vm $model.VM.ConfigPathProperty)
        $location = [string](Get-VmmPropertyValue $vm $model.VM.LocationProperty)
        $problem = $null
        if ($configPath) {
            $source = ConvertTo-VmmHostFilePath -ComputerName $vmHost -Path $configPath
            if ([System.IO.File]::Exists($source)) {
                $folder = [System.IO.Path]::GetDirectoryName($source)
                $base = [System.IO.Path]::GetFileNameWithoutExtension($source)
                $files = @(Get-ChildItem -LiteralPath $folder -File -ErrorAction SilentlyContinue -ErrorVariable listErrors | Where-Object {
                        $_.FullName -eq $source -or ($_.BaseName -eq $base -and $extensions -contains $_.Extension.ToLowerInvariant())
                    })
                if ($listErrors) { $problem = "its folder '$folder' cannot be read: $($listErrors[0].Exception.Message)" }
            } else {
                $problem = "its configuration file '$source' does not exist or cannot be reached."
            }
        } elseif ($location) {
            $source = ConvertTo-VmmHostFilePath -ComputerName $vmHost -Path $location
            if ([System.IO.Directory]::Exists($source)) {
                $files = @(Get-ChildItem -LiteralPath $source -File -Recurse -ErrorAction SilentlyContinue -ErrorVariable listErrors | Where-Object { $extensions -contains $_.Extension.ToLowerInvariant() })
                if ($listErrors) {
                    $problem = "its folder '$source' cannot be read: $($listErrors[0].Exception.Message)"
                } elseif ($files.Count -eq 0) {
                    $problem = "its folder '$source' holds no configuration file ($($extensions -join ', '))."
                }
            } else {
                $problem = "its folder '$source' does not exist or cannot be reached."
            }
        } else {
            $state = 'Skipped'
            $message = "VMM reports no configuration file path ($($model.VM.ConfigPathProperty)) or location ($($model.VM.LocationProperty)) for '$name'."
        }
        if ($problem) {
            $state = 'Failed'
            $message = "Cannot back up the configuration of '$name': $problem"
        }

        if ($state -eq 'Succeeded') {
            if (-not $PSCmdlet.ShouldProcess($target, "Copy $($files.Count) configuration file(s) of VM '$name'")) { continue }
            # Never through a link already in the destination (a folder or file left there, leading elsewhere).
            $link = $null
            foreach ($file in $files) {
                if ($null -eq $link) { $link = Find-VmmLinkInPath -Root $root -Path ([System.IO.Path]::Combine($target, $file.Name)) }
            }
            if ($null -ne $link) {
                $state = 'Failed'
                $message = "Cannot back up the configuration of '$name': '$link' in the destination is a link, junction or mount point, and a backup never writes through one. Remove it and run the backup again."
            }
        }
        if ($state -eq 'Succeeded') {
            try {
                $null = New-Item -ItemType Directory -Path $target -Force -ErrorAction Stop
                foreach ($file in $files) {
                    Copy-Item -LiteralPath $file.FullName -Destination ([System.IO.Path]::Combine($target, $file.Name)) -Force -ErrorAction Stop
                }
            } catch {
                $state = 'Failed'
                $message = "Cannot copy the configuration of '$name' to '$target': $($_.Exception.Message)"
            }
        }
        if ($state -eq 'Failed') {
            Write-Error -Message $message -Category WriteError -TargetObject $name
        }
        $copied = 0
        if ($state -eq 'Succeeded') { $copied = $files.Count }
        [pscustomobject][ordered]@{
            PSTypeName  = 'VmmBackup.VMConfigurationBackup'
            VMName      = $name
            VMHost      = $vmHost
            Destination = $target
            Files       = $copied
            State       = $state
            Message     = $message
            Time        = Get-Date
        }
    }
    Write-Progress -Id $progressId -Activity 'Backing up VM configuration files' -Completed
}
