function Test-VmmPostRestore {
    $model = Get-VmmObjectModel
    $data = Get-VmmProcedureData
    $procedures = @{}
    foreach ($procedure in $data.Procedures) { $procedures[$procedure.Id] = $procedure }
    $fixOf = {
        param([string] $Id)
        $steps = @($procedures[$Id].Instructions)
        $numbered = for ($i = 0; $i -lt $steps.Count; $i++) { '{0}. {1}' -f ($i + 1), $steps[$i] }
        $numbered -join ' '
    }
    $result = {
        param([string] $Id, [string] $State, [string] $Detail, [bool] $WithFix)
        $fix = $null
        if ($WithFix) { $fix = & $fixOf $Id }
        [pscustomobject][ordered]@{
            PSTypeName = 'VmmBackup.PostRestoreCheck'
            Id         = $Id
            Check      = [string]$procedures[$Id].Title
            State      = $State
            Detail     = $Detail
            Fix        = $fix
        }
    }
    $conditional = {
        param([string] $Id, [string] $What)
        & $result $Id 'ActionRequired' ("Cannot be checked from VMM: {0} Applies when: {1}" -f $What, $procedures[$Id].Condition) $true
    }
    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    $total = 8
    $step = 0
    $progress = { param([string] $Status) Write-Progress -Id $progressId -Activity 'Post-restore checks' -Status $Status -PercentComplete ([int](100 * $step / $total)) }

    # AlwaysOn: is the VMM database in an availability group of its SQL Server instance?
    $step++; & $progress 'AlwaysOn availability groups'
    $sqlTarget = $SqlServer
    $sqlDatabase = $Database
    if (-not $sqlTarget -or -not $sqlDatabase) {
        $setting = Get-VmmSqlSetting
        if ($null -ne $setting) {
            if (-not $sqlTarget) { $sqlTarget = $setting.SqlServer }
            if (-not $sqlDatabase) { $sqlDatabase = $setting.Database }
        }
    }
    if (-not $sqlTarget -or -not $sqlDatabase) {
        & $conditional 'post-restore.alwayson' 'the VMM database settings could not be read from the registry here; give -SqlServer and -Database to check availability group membership.'
    } else {
        # Fixed statement text; the database name goes in as a parameter.
        $alwaysOnQuery = 'SELECT CAST((SELECT COUNT(*) FROM sys.databases WHERE name = @database) AS int) AS DatabaseCount, ' +
            'CAST((SELECT COUNT(*) FROM sys.availability_groups) AS int) AS GroupCount, ' +
            '(SELECT TOP (1) ag.name FROM sys.databases AS d JOIN sys.availability_databases_cluster AS adc ON adc.group_database_id = d.group_database_id ' +
            'JOIN sys.availability_groups AS ag ON ag.group_id = adc.group_id WHERE d.name = @database) AS GroupName'
        $sqlConnection = $null
        try {
            $connect = @{ SqlServer = $sqlTarget }
            if ($SqlCredential) { $connect['Credential'] = $SqlCredential }
            $sqlConnection = New-VmmSqlConnection @connect
            $row = @(Invoke-VmmSqlQuery -Connection $sqlConnection -Query $alwaysOnQuery -Parameter ([ordered]@{ database = $sqlDatabase }))[0]
            if ([int]$row.DatabaseCount -eq 0) {
                & $result 'post-restore.alwayson' 'Fail' ("SQL Server '{0}' has no database '{1}': check -SqlServer and -Database (or the VMM registry settings) before the availability group." -f $sqlTarget, $sqlDatabase) $true
            } elseif ($null -ne $row.GroupName) {
                & $result 'post-restore.alwayson' 'Pass' ("The VMM database '{0}' is in the availability group '{1}' on '{2}'." -f $sqlDatabase, $row.GroupName, $sqlTarget) $false
            } elseif ([int]$row.GroupCount -eq 0) {
                & $result 'post-restore.alwayson' 'NotApplicable' ("SQL Server '{0}' has no availability group, so the VMM database is not configured with AlwaysOn." -f $sqlTarget) $false
            } else {
                & $result 'post-restore.alwayson' 'ActionRequired' ("SQL Server '{0}' has {1} availability group(s) but the VMM database '{2}' is in none: if it was in one before the restore, add it again." -f $sqlTarget, $row.GroupCount, $sqlDatabase) $true
            }
        } catch {
            & $result 'post-restore.alwayson' 'Fail' ("Could not check the availability group of the VMM database on '{0}': {1}" -f $sqlTarget, $_.Exception.Message) $true
        } finally {
            if ($null -ne $sqlConnection) { $sqlConnection.Dispose() }
        }
    }

    # Windows Azure Pack, consoles: facts outside VMM; the operator confirms them.
    $step++; & $progress 'Windows Azure Pack'
    & $conditional 'post-restore.wap' 'Windows Azure Pack is installed outside VMM.'
    $step++; & $progress 'VMM consoles'
    & $conditional 'post-restore.consoles' 'which servers had a VMM console is not recorded in VMM.'

    # VM templates: each must name an operating-system disk that exists.
    $step++; & $progress 'VM templates'
    try {
        $templates = @(Get-SCVMTemplate -VMMServer $connection -All -ErrorAction Stop)
        $bad = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($template in $templates) {
            $templateName = [string](Get-VmmPropertyValue $template $model.Template.NameProperty)
            $disks = @(Get-SCVirtualHardDisk -VMMServer $connection -VMTemplate $template -ErrorAction Stop)
            $present = @($disks | Where-Object { [string](Get-VmmPropertyValue $_ $model.LibraryObject.StateProperty) -ne $model.LibraryObject.Missing })
            $withOs = @($present | Where-Object {
                    $os = [string](Get-VmmPropertyValue $_ $model.LibraryObject.OperatingSystemProperty -AsName)
                    $os -and ($model.LibraryObject.NoOperatingSystemValues -notcontains $os)
                })
            if ($disks.Count -eq 0) {
                $bad.Add("$templateName (no virtual hard disk)")
            } elseif ($present.Count -lt $disks.Count -and $withOs.Count -eq 0) {
                $bad.Add("$templateName (its virtual hard disk is missing from the library)")
            } elseif ($withOs.Count -eq 0) {
                $bad.Add("$templateName (no virtual hard disk with an operating system)")
            }
        }
        if ($templates.Count -eq 0) {
            & $result 'post-restore.vm-templates' 'NotApplicable' 'VMM has no VM templates.' $false
        } elseif ($bad.Count -eq 0) {
            & $result 'post-restore.vm-templates' 'Pass' ('All {0} VM template(s) name an operating-system virtual hard disk that exists.' -f $templates.Count) $false
        } else {
            & $result 'post-restore.vm-templates' 'Fail' ('{0} of {1} VM template(s) lack a correct operating-system disk: {2}.' -f $bad.Count, $templates.Count, ($bad -join '; ')) $true
        }
    } catch {
        & $result 'post-restore.vm-templates' 'Fail' "Could not check the VM templates: $($_.Exception.Message)" $true
    }

    # Hyper-V Recovery Manager / Azure Site Recovery: needed again when VMs are replicated.
    $step++; & $progress 'Hyper-V Recovery Manager provider'
    try {
        $replicated = @(Get-SCVirtualMachine -VMMServer $connection -All -ErrorAction Stop | Where-Object { Test-VmmVMReplicated -VM $_ -Model $model })
        if ($replicated.Count -eq 0) {
            & $result 'post-restore.hrm-provider' 'NotApplicable' 'No virtual machine is replicated, so Hyper-V Recovery Manager (Azure Site Recovery) is not in use.' $false
        } else {
            & $result 'post-restore.hrm-provider' 'ActionRequired' ('{0} virtual machine(s) are replicated: restore the Azure Site Recovery Provider on the VMM server.' -f $replicated.Count) $true
        }
    } catch {
        & $result 'post-restore.hrm-provider' 'Fail' "Could not read the replication state of the virtual machines: $($_.Exception.Message)" $true
    }

    $step++; & $progress 'Add-ins'
    & $result 'post-restore.addins' 'ActionRequired' 'Console add-ins and non-Microsoft applications are restored by their own vendors'' procedures; VMM does not record them.' $true

    # Driver packages that the restored library no longer finds.
    $step++; & $progress 'Driver packages'
    try {
        $packages = @(Get-SCDriverPackage -VMMServer $connection -All -ErrorAction Stop)
        $missing = @($packages | Where-Object { [string](Get-VmmPropertyValue $_ $model.LibraryObject.StateProperty) -eq $model.LibraryObject.Missing } | ForEach-Object { [string](Get-VmmPropertyValue $_ $model.LibraryObject.NameProperty) })
        if ($packages.Count -eq 0) {
            & $result 'post-restore.driver-packages' 'NotApplicable' 'The library holds no driver packages.' $false
        } elseif ($missing.Count -eq 0) {
            & $result 'post-restore.driver-packages' 'Pass' ('All {0} driver package(s) were discovered.' -f $packages.Count) $false
        } else {
            & $result 'post-restore.driver-packages' 'Fail' ('{0} of {1} driver package(s) were not discovered: {2}.' -f $missing.Count, $packages.Count, ($missing -join ', ')) $true
        }
    } catch {
        & $result 'post-restore.driver-packages' 'Fail' "Could not list the driver packages: $($_.Exception.Message)" $true
    }

    # Certificates on hosts: VMM does not expose them; list the hosts to review.
    $step++; & $progress 'Host certificates'
    try {
        $hosts = @(Get-SCVMHost -VMMServer $connection -ErrorAction Stop)
        if ($hosts.Count -eq 0) {
            & $result 'post-restore.certificates' 'NotApplicable' 'VMM manages no hosts.' $false
        } else {
            $names = @($hosts | ForEach-Object { [string](Get-VmmPropertyValue $_ $model.Host.NameProperty) })
            & $result 'post-restore.certificates' 'ActionRequired' ('The VMM certificates on {0} host(s) cannot be read from VMM; review them: {1}.' -f $hosts.Count, ($names -join ', ')) $true
        }
    } catch {
        & $result 'post-restore.certificates' 'Fail' "Could not list the hosts: $($_.Exception.Message)" $true
    }
    Write-Progress -Id $progressId -Activity 'Post-restore checks' -Completed
}
