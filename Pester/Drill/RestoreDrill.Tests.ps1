<#
    A full simulated drill of the specification's restore path, against the VMM stubs:
    back up a stubbed environment (Export-VmmInventory), change the environment after the backup (a host removed,
    a VM deleted, a host and a VM added), restore VMM from the backup (the stubs then report the removed host
    Not Responding with its VMs Host Not Responding, the deleted VM Missing, the perimeter host Not Responding,
    managed computers Access Denied), then Compare-VmmInventory and Sync-VmmInventory (first with -WhatIf),
    reassociate hosts, switch the library server, reset the perimeter host password and run the post-restore
    checks. The tests run in order and share the drill's state.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\vmmadmin', (ConvertTo-SecureString -String 'not-a-secret' -AsPlainText -Force)

    # What really exists (the "world") and what the VMM database holds (the VMM view). Before the restore, VMM
    # sees the world as it is; after it, VMM holds the backup-time objects and derives their states from the world.
    $script:world = @{
        Hosts = [System.Collections.Generic.List[object]]@(
            @{ Name = 'hv01'; Perimeter = $false }
            @{ Name = "hv'02;]"; Perimeter = $false }
            @{ Name = 'dmz01'; Perimeter = $true }
        )
        VMs   = [System.Collections.Generic.List[object]]@(
            @{ Name = 'vm01'; Host = 'hv01' }
            @{ Name = "vm'02]"; Host = "hv'02;]" }
            @{ Name = 'vm03'; Host = 'hv01' }
            @{ Name = 'dmz-web'; Host = 'dmz01' }
        )
    }
    $script:vmm = $null
    $script:restored = $false

    function Copy-View {
        param($View)
        @{
            Hosts = [System.Collections.Generic.List[object]]@($View.Hosts | ForEach-Object { $_.Clone() })
            VMs   = [System.Collections.Generic.List[object]]@($View.VMs | ForEach-Object { $_.Clone() })
        }
    }

    function Get-View {
        param($Call)
        # The live environment answers as VMMServer 'live'; the VMM server under test is 'vmm01'.
        if ($Call.BoundParameters['VMMServer'].Name -eq 'live' -or $null -eq $script:vmm) { return @{ View = $script:world; Restored = $false } }
        @{ View = $script:vmm; Restored = $script:restored }
    }

    function Get-HostState {
        param($HostRecord, [bool] $Restored)
        if (-not $Restored) { return 'Responding' }
        $exists = @($script:world.Hosts | Where-Object { $_.Name -eq $HostRecord.Name }).Count -gt 0
        if (-not $exists -or $HostRecord.Perimeter) { return 'NotResponding' }
        'Responding'
    }

    Set-VmmStubBehavior Get-SCVMHost {
        param($Call)
        $v = Get-View $Call
        foreach ($h in $v.View.Hosts) {
            if ($Call.BoundParameters.Contains('ComputerName') -and $Call.BoundParameters['ComputerName'] -ne $h.Name) { continue }
            New-TestHost $h.Name -State (Get-HostState $h $v.Restored) -Perimeter $h.Perimeter
        }
    }
    Set-VmmStubBehavior Get-SCVirtualMachine {
        param($Call)
        $v = Get-View $Call
        foreach ($vm in $v.View.VMs) {
            if ($Call.BoundParameters.Contains('Name') -and $Call.BoundParameters['Name'] -ne $vm.Name) { continue }
            $status = 'Running'
            if ($v.Restored) {
                $hostRecord = $v.View.Hosts | Where-Object { $_.Name -eq $vm.Host }
                if ((Get-HostState $hostRecord $true) -eq 'NotResponding') {
                    $status = 'HostNotResponding'
                } elseif (@($script:world.VMs | Where-Object { $_.Name -eq $vm.Name -and $_.Host -eq $vm.Host }).Count -eq 0) {
                    $status = 'Missing'
                }
            }
            New-TestVM $vm.Name $vm.Host -Status $status
        }
    }
    Set-VmmStubBehavior Remove-SCVMHost {
        param($Call)
        $name = $Call.BoundParameters['VMHost'].ComputerName
        $null = $script:vmm.Hosts.RemoveAll({ param($h) $h.Name -eq $name })
        $null = $script:vmm.VMs.RemoveAll({ param($vm) $vm.Host -eq $name })
    }
    Set-VmmStubBehavior Remove-SCVirtualMachine {
        param($Call)
        $target = $Call.BoundParameters['VM']
        $null = $script:vmm.VMs.RemoveAll({ param($vm) $vm.Name -eq $target.Name -and $vm.Host -eq $target.VMHost })
    }
    Set-VmmStubBehavior Get-SCVMMManagedComputer {
        param($Call)
        if (-not $script:restored) { return }
        foreach ($h in $script:vmm.Hosts) {
            $state = 'AccessDenied'
            if ($h.Reassociated) { $state = 'Responding' }
            New-VmmStubObject VMMManagedComputer @{ Name = $h.Name; FQDN = $h.Name; State = $state }
        }
    }
    Set-VmmStubBehavior Register-SCVMMManagedComputer {
        param($Call)
        $name = $Call.BoundParameters['VMMManagedComputer'].FQDN
        foreach ($h in $script:vmm.Hosts) { if ($h.Name -eq $name) { $h.Reassociated = $true } }
        $Call.BoundParameters['VMMManagedComputer']
    }
    $script:libraryServers = [System.Collections.Generic.List[string]]@('vmm01.contoso.test')
    Set-VmmStubBehavior Get-SCLibraryServer {
        param($Call)
        foreach ($name in $script:libraryServers) {
            if ($Call.BoundParameters.Contains('ComputerName') -and $Call.BoundParameters['ComputerName'] -ne $name) { continue }
            New-VmmStubObject LibraryServer @{ Name = $name; ComputerName = $name }
        }
    }
    Set-VmmStubBehavior Remove-SCLibraryServer { param($Call) $null = $script:libraryServers.Remove($Call.BoundParameters['LibraryServer'].ComputerName) }
    Set-VmmStubBehavior Add-SCLibraryServer { param($Call) $script:libraryServers.Add($Call.BoundParameters['ComputerName']) }

    $drill = Join-Path $TestDrive 'drill'
}

AfterAll { Remove-VmmTestModule }

Describe 'Restore drill: back up, change, restore, compare, sync' {
    It '1. backs up the inventory of the environment' {
        $script:backup = Export-VmmInventory -Path (Join-Path $drill 'backup.json') -VMMServer vmm01
        $script:backup.Hosts | Should -Be 3
        $script:backup.VirtualMachines | Should -Be 4
        $script:backup.LibraryServers | Should -Be 1
    }

    It '2. the environment changes after the backup' {
        # hv'02;] is decommissioned with its VM; vm03 is deleted; hv03 is added with vm04; vm05 is created on hv01.
        $null = $script:world.Hosts.RemoveAll({ param($h) $h.Name -eq "hv'02;]" })
        $null = $script:world.VMs.RemoveAll({ param($vm) $vm.Host -eq "hv'02;]" -or $vm.Name -eq 'vm03' })
        $script:world.Hosts.Add(@{ Name = 'hv03'; Perimeter = $false })
        $script:world.VMs.Add(@{ Name = 'vm04'; Host = 'hv03' })
        $script:world.VMs.Add(@{ Name = 'vm05'; Host = 'hv01' })
        $script:world.Hosts.Count | Should -Be 3
    }

    It '3. VMM is restored from the backup: the stubs report Not Responding, Host Not Responding and Missing' {
        $backupSnapshot = Get-Content -Raw -LiteralPath $script:backup.Path | ConvertFrom-Json
        $script:vmm = @{
            Hosts = [System.Collections.Generic.List[object]]@($backupSnapshot.hosts | ForEach-Object { @{ Name = $_.name; Perimeter = [bool]$_.perimeter; Reassociated = $false } })
            VMs   = [System.Collections.Generic.List[object]]@($backupSnapshot.virtualMachines | ForEach-Object { @{ Name = $_.name; Host = $_.host } })
        }
        $script:restored = $true
        $connection = Get-SCVMMServer -ComputerName vmm01
        $hosts = @(Get-SCVMHost -VMMServer $connection)
        ($hosts | Where-Object ComputerName -EQ "hv'02;]").CommunicationState | Should -Be 'NotResponding'
        ($hosts | Where-Object ComputerName -EQ 'dmz01').CommunicationState | Should -Be 'NotResponding'
        ($hosts | Where-Object ComputerName -EQ 'hv01').CommunicationState | Should -Be 'Responding'
        $vms = @(Get-SCVirtualMachine -VMMServer $connection -All)
        ($vms | Where-Object Name -EQ "vm'02]").Status | Should -Be 'HostNotResponding'
        ($vms | Where-Object Name -EQ 'vm03').Status | Should -Be 'Missing'
        ($vms | Where-Object Name -EQ 'vm01').Status | Should -Be 'Running'
    }

    It '4. Compare-VmmInventory finds what to remove and what to add' {
        $script:current = Export-VmmInventory -Path (Join-Path $drill 'current.json') -VMMServer live
        $script:differences = @(Compare-VmmInventory -Snapshot $script:backup.Path -Current $script:current.Path -VMMServer vmm01)
        @($script:differences | ForEach-Object { '{0} {1} {2}' -f $_.Action, $_.ObjectType, $_.Name }) | Should -Be @(
            "Remove Host hv'02;]"
            'Remove VirtualMachine vm03'
            'Add Host hv03'
            'Add VirtualMachine vm05'
        )
    }

    It '5. Sync-VmmInventory -WhatIf changes nothing' {
        $since = @(Get-VmmStubCall).Count
        $null = $script:differences | Sync-VmmInventory -VMMServer vmm01 -WhatIf
        @(Get-VmmStubCall).Count | Should -BeGreaterThan $since -Because 'Sync-VmmInventory reads the objects again'
        Get-VmmMutatingCall -Since $since | Should -BeNullOrEmpty
        $script:vmm.Hosts.Count | Should -Be 3
        $script:vmm.VMs.Count | Should -Be 4
    }

    It '6. Sync-VmmInventory removes the stale objects and says how to add the new ones' {
        $results = @($script:differences | Sync-VmmInventory -VMMServer vmm01 -Confirm:$false)
        @($results.State) | Should -Be @('Succeeded', 'Succeeded', 'ActionRequired', 'ActionRequired')
        $results[2].Message | Should -Match ([regex]::Escape("Add-SCVMHost -ComputerName 'hv03' -Credential (Get-Credential)"))
        @($script:vmm.Hosts.Name) | Should -Be @('hv01', 'dmz01')
        @($script:vmm.VMs.Name) | Should -Be @('vm01', 'dmz-web')
    }

    It '7. a second comparison finds nothing left to remove' {
        $again = @(Compare-VmmInventory -Snapshot $script:backup.Path -Current $script:current.Path -VMMServer vmm01 -WarningAction SilentlyContinue)
        @($again | Where-Object Action -EQ 'Remove') | Should -BeNullOrEmpty
        @($again | ForEach-Object { '{0} {1}' -f $_.Action, $_.Name }) | Should -Be @('Add hv03', 'Add vm05')
    }

    It '8. (different computer) reassociates Access Denied hosts and replaces the library server' {
        $reassociated = @(Repair-VmmHostAssociation -Credential $credential -VMMServer vmm01 -Confirm:$false)
        @($reassociated.State | Select-Object -Unique) | Should -Be @('Succeeded')
        @(Repair-VmmHostAssociation -Credential $credential -VMMServer vmm01 -Confirm:$false) | Should -BeNullOrEmpty -Because 'nothing is Access Denied any more'

        $switch = Switch-VmmLibraryServer -OldComputerName 'vmm01.contoso.test' -NewComputerName 'vmm02.contoso.test' -Credential $credential -VMMServer vmm01 -Confirm:$false
        $switch.State | Should -Be 'Succeeded'
        @($script:libraryServers) | Should -Be @('vmm02.contoso.test')
    }

    It '9. resets the password of the Not Responding perimeter host and runs the post-restore checks' {
        $reset = @(Reset-VmmPerimeterHostPassword -PassThruPassword -VMMServer vmm01 -Confirm:$false)
        $reset.ComputerName | Should -Be 'dmz01'
        $reset.State | Should -Be 'ActionRequired'
        $checks = @(Test-VmmPostRestore -VMMServer vmm01)
        $checks.Count | Should -Be 8
        ($checks | Where-Object Id -EQ 'post-restore.certificates').Detail | Should -Match 'hv01, dmz01'
    }
}
